"""A watch on what the tests rely on, inside the learner's kernel.

Before the first cell of a submission runs, the grader executes ``PRELUDE`` in the kernel:
it notes the objects the tests use (the attributes of ``builtins``, ``numpy``,
``numpy.testing``, ``numpy.linalg``, ``math``, ``trainlab.record``, ``IPython.display``;
``sys.stdout``/``stderr``, the import machinery,
trace and profile functions; the IPython shell's input and AST transformers, event
callbacks, custom exception handlers and methods; the kernel's execute handler).

Before every graded test cell the grader evaluates ``check(nonce, "before")`` and after it
``check(nonce, "after")``, as *user expressions* of an empty execute request, so they do not
go through the shell's input transformers. ``check`` restores every watched object that was
replaced, removed or (for the transformer and hook lists) extended, and returns what it
restored; it also puts back the names the notebook's own locked cells imported or
defined (``np``, ``rel_error``, ``sgd``) if a solution cell rebound them. What changed *before* a test cell is restored, so the test runs as written;
what changed *while* the test ran means the submission changed the test's tools under it,
and the grader fails that cell.

This raises the bar; it is not a proof. Code in the same process can, with enough effort
aimed at this file, find and disarm the watch (see the README: what is and is not
defended). Hidden tests do not depend on it: they are judged in the grader's process.
"""
from __future__ import annotations

import ast
import json

NAME = "_course_grader_guard"

PRELUDE = r'''
def _install_course_grader_guard():
    import builtins, math, sys, threading, types
    import numpy, numpy.linalg, numpy.random, numpy.testing
    import IPython.display
    import trainlab.record
    ip = get_ipython()
    kernel = getattr(ip, "kernel", None)
    skip = {"builtins": {"_", "__", "___", "_dh", "_ih", "_oh", "_ii", "_iii", "_i", "exit", "quit", "get_ipython",
                         "display", "__IPYTHON__", "__warningregistry__",
                         # ipykernel swaps these on every request
                         "input", "raw_input", "getpass"}}
    modules = {"builtins": builtins, "numpy": numpy, "numpy.linalg": numpy.linalg, "numpy.random": numpy.random,
               "numpy.testing": numpy.testing, "math": math, "trainlab.record": trainlab.record,
               "IPython.display": IPython.display}
    saved_modules = dict(modules)
    snapshots = {name: dict(vars(m)) for name, m in modules.items()}
    sys_names = ("stdout", "stderr", "stdin", "__stdout__", "__stderr__", "meta_path",
                 "path_hooks", "modules", "breakpointhook", "unraisablehook")
    sys_saved = {n: getattr(sys, n) for n in sys_names if hasattr(sys, n)}
    lists = {"sys.meta_path": sys.meta_path, "sys.path_hooks": sys.path_hooks,
             "shell.input_transformers_cleanup": ip.input_transformers_cleanup,
             "shell.input_transformers_post": ip.input_transformers_post,
             "shell.ast_transformers": ip.ast_transformers}
    lists_saved = {n: list(v) for n, v in lists.items()}
    events_saved = {k: list(v) for k, v in ip.events.callbacks.items()}
    shell_names = ("run_cell", "run_cell_async", "run_code", "run_ast_nodes", "showtraceback", "showsyntaxerror",
                   "_showtraceback", "transform_cell", "user_expressions", "ev", "ex", "CustomTB",
                   "custom_exceptions", "displayhook", "display_pub", "display_formatter", "events",
                   "input_transformer_manager", "compile", "excepthook", "set_custom_exc")
    missing = object()
    shell_saved = {n: ip.__dict__.get(n, missing) for n in shell_names}
    shell_class = type(ip)
    shell_class_saved = {n: shell_class.__dict__.get(n, missing) for n in shell_names}
    kernel_names = ("do_execute", "execute_request", "shell_handlers", "send_response", "session", "iopub_socket")
    kernel_saved = {n: kernel.__dict__.get(n, missing) for n in kernel_names} if kernel is not None else {}
    kernel_class_saved = ({n: type(kernel).__dict__.get(n, missing) for n in kernel_names}
                          if kernel is not None else {})
    formatter_saved = dict(ip.display_formatter.formatters)

    def restore_attrs(owner, saved, label, changed, dict_of):
        current = dict_of(owner)
        for n, value in saved.items():
            now = current.get(n, missing)
            if now is not value:
                changed.append(f"{label}.{n}")
                if value is missing:
                    try:
                        delattr(owner, n)
                    except Exception:
                        pass
                else:
                    try:
                        setattr(owner, n, value)
                    except Exception:
                        pass

    def check():
        changed = []
        for name, snapshot in snapshots.items():
            module = saved_modules[name]
            if sys.modules.get(name) is not module:
                changed.append(f"sys.modules[{name!r}]")
                sys.modules[name] = module
            space = vars(module)
            ignore = skip.get(name, ())
            for key, value in snapshot.items():
                if key in ignore:
                    continue
                if space.get(key, missing) is not value:
                    changed.append(f"{name}.{key}")
                    space[key] = value
            for key in [k for k in space if k not in snapshot and k not in ignore]:
                if not isinstance(space[key], types.ModuleType):
                    changed.append(f"{name}.{key} (added)")
                    del space[key]
        for n, value in sys_saved.items():
            if getattr(sys, n, missing) is not value:
                changed.append(f"sys.{n}")
                setattr(sys, n, value)
        for n, value in lists_saved.items():
            target = lists[n]
            if list(target) != value:
                changed.append(n)
                target[:] = value
        if sys.gettrace() is not None:
            changed.append("sys.settrace")
            sys.settrace(None)
        if sys.getprofile() is not None:
            changed.append("sys.setprofile")
            sys.setprofile(None)
        threading.settrace(None)
        threading.setprofile(None)
        restore_attrs(ip, shell_saved, "shell", changed, lambda o: o.__dict__)
        restore_attrs(shell_class, shell_class_saved, "shell class", changed, lambda o: dict(o.__dict__))
        if kernel is not None:
            restore_attrs(kernel, kernel_saved, "kernel", changed, lambda o: o.__dict__)
            restore_attrs(type(kernel), kernel_class_saved, "kernel class", changed, lambda o: dict(o.__dict__))
        for k, v in events_saved.items():
            if ip.events.callbacks.get(k) != v:
                changed.append(f"shell.events[{k!r}]")
                ip.events.callbacks[k] = list(v)
        if dict(ip.display_formatter.formatters) != formatter_saved:
            changed.append("shell.display_formatter.formatters")
            ip.display_formatter.formatters.clear()
            ip.display_formatter.formatters.update(formatter_saved)
        return changed

    remembered = {}

    def remember(names):
        for n in names:
            if n in ip.user_ns:
                remembered[n] = ip.user_ns[n]

    def check_names(changed):
        for n, value in remembered.items():
            if ip.user_ns.get(n, missing) is not value:
                changed.append(f"the notebook's {n}")
                ip.user_ns[n] = value

    def report(nonce, when, names=()):
        import json as _json
        try:
            changed = check()
            check_names(changed)
            remember(names)
        except Exception as error:  # the watch itself was broken
            changed = [f"the grader's watch failed: {type(error).__name__}"]
        return nonce + _json.dumps({"when": when, "changed": changed})

    sys.modules["''' + NAME + r'''"] = types.SimpleNamespace(report=report)


_install_course_grader_guard()
del _install_course_grader_guard
'''


def expression(nonce: str, when: str, names=()) -> str:
    return f"__import__('sys').modules[{NAME!r}].report({nonce!r}, {when!r}, {list(names)!r})"


def bound_names(source: str) -> list[str]:
    """The names a locked cell imports or defines at top level (``np``, ``rel_error``, ``sgd``)."""
    import ast

    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    names = []
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names += [(a.asname or a.name).split(".")[0] for a in node.names if a.name != "*"]
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(node.name)
    return names


def parse(reply: dict | None, nonce: str) -> list[str] | None:
    """What the watch restored, from an execute reply; ``None`` when it did not answer honestly."""
    if not reply:
        return None
    value = (reply.get("content", {}).get("user_expressions", {}).get("guard") or {})
    if value.get("status") != "ok":
        return None
    text = value.get("data", {}).get("text/plain", "")
    try:
        text = ast.literal_eval(text) if text[:1] in "'\"" else text  # the repr of a str, never eval'd
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    if not isinstance(text, str) or not text.startswith(nonce):
        return None
    try:
        changed = json.loads(text[len(nonce):])["changed"]
    except (ValueError, KeyError, TypeError):
        return None
    return [str(c) for c in changed] if isinstance(changed, list) else None
