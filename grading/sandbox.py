"""The kernel a submission runs in: bubblewrap, no network, its own copy only, bounded memory.

A learner's notebook runs in an IPython kernel started by ``SandboxedKernelManager``:

    bwrap --unshare-all --die-with-parent ...   (Debian's bubblewrap)
      prlimit --as=<memory cap> --
        python -m ipykernel_launcher -f <connection file>

Inside, the kernel sees a read-only ``/usr`` (and ``/lib*``, ``/bin``, a few files of
``/etc``), the Python installation and the course's virtual environment read-only (numpy,
matplotlib, trainlab: the course's runtime), an empty ``/tmp`` and home, and one writable
folder: the copy of this submission, which also holds the kernel's connection file and
its unix sockets (``transport="ipc"``, so ZeroMQ works without a network). It does not
see the repository (``solutions/``, ``grading/reference/``), the gradebook, the other
submissions or the network, and it lives in its own PID namespace: when the grader stops
the kernel, every process the submission started dies with it.
"""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager

BWRAP_MISSING = ("bubblewrap (bwrap) is not installed, and the grader runs every submission inside it: "
                 "install it with `apt-get install bubblewrap` (Debian/Ubuntu), or pass --no-sandbox "
                 "to grade trusted notebooks without it")


def bwrap_path() -> str | None:
    return shutil.which("bwrap")


def check() -> None:
    """Stop with a clear message when bubblewrap is missing or cannot make its namespaces here."""
    import subprocess

    if not bwrap_path():
        raise SystemExit(BWRAP_MISSING)
    argv = [a for a in kernel_argv(Path("/tmp"), 256) if a != "{connection_file}"]
    argv = argv[:argv.index("--") + 1] + [sys.executable, "-c", "import numpy, trainlab"]
    process = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    if process.returncode != 0:
        raise SystemExit("bubblewrap (bwrap) is installed but could not start a sandboxed Python here:\n"
                         f"{process.stderr.strip()[-800:]}\nexpected it to run `python -c 'import numpy, trainlab'`; "
                         "on hosts without user namespaces run the grader as root, or pass --no-sandbox for "
                         "trusted notebooks")


def _runtime_dirs() -> list[str]:
    """Read-only folders the kernel needs: the Python installation and the virtual environment."""
    dirs = {os.path.realpath(sys.base_prefix), os.path.realpath(sys.prefix)}
    exe = os.path.realpath(sys.executable)
    if not any(exe.startswith(d + os.sep) for d in dirs):
        dirs.add(os.path.dirname(exe))
    return sorted(dirs)


def kernel_argv(workdir: Path, memory_mb: int, sandbox: bool = True) -> list[str]:
    """The command that starts one submission's kernel (``{connection_file}`` filled in by jupyter_client)."""
    workdir = str(Path(workdir).resolve())
    python = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    limit = [shutil.which("prlimit") or "prlimit", f"--as={memory_mb * 1024 * 1024}", "--"]
    if not sandbox:
        return limit + python
    bwrap = bwrap_path()
    if not bwrap:
        raise RuntimeError(BWRAP_MISSING)
    argv = [bwrap, "--unshare-all", "--die-with-parent", "--new-session"]
    for folder in ("/usr", "/bin", "/lib", "/lib64", "/lib32", "/sbin"):
        if os.path.lexists(folder):
            argv += ["--ro-bind", folder, folder] if not os.path.islink(folder) else \
                ["--symlink", os.readlink(folder), folder]
    for name in ("/etc/ld.so.cache", "/etc/alternatives", "/etc/fonts", "/etc/localtime", "/etc/mime.types"):
        if os.path.exists(name):
            argv += ["--ro-bind", name, name]
    argv += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--dir", "/tmp/home"]
    for folder in _runtime_dirs():
        argv += ["--ro-bind", folder, folder]
    argv += ["--bind", workdir, workdir, "--chdir", workdir]
    env = {"HOME": "/tmp/home", "PATH": f"{os.path.dirname(sys.executable)}:/usr/bin:/bin",
           "MPLBACKEND": "agg", "MPLCONFIGDIR": "/tmp/home/.mpl", "OPENBLAS_NUM_THREADS": "1",
           "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "MALLOC_ARENA_MAX": "2",
           "PYTHONDONTWRITEBYTECODE": "1", "LANG": "C.UTF-8", "JPY_SESSION_NAME": "submission.ipynb"}
    argv += ["--clearenv"]
    for key, value in env.items():
        argv += ["--setenv", key, value]
    return argv + ["--"] + limit + python


class SandboxedKernelManager(AsyncKernelManager):
    """An ``AsyncKernelManager`` (what nbclient drives) whose kernel runs in bubblewrap with a memory cap (see the module docstring).

    ``workdir`` is the submission's private copy; the connection file and the ipc sockets live
    there, so the sandbox needs no network.
    """

    def __init__(self, workdir: Path, memory_mb: int = 2048, sandbox: bool = True, **kwargs):
        workdir = Path(workdir).resolve()
        self._argv = kernel_argv(workdir, memory_mb, sandbox)
        conn = workdir / ".kernel"
        conn.mkdir(exist_ok=True)
        super().__init__(transport="ipc", ip=str(conn / "s"), connection_file=str(conn / "connection.json"),
                         **kwargs)

    @property
    def kernel_spec(self):  # no kernelspec lookup: the submission's own kernelspec is never used
        return KernelSpec(argv=self._argv, display_name="Python 3 (sandboxed)", language="python",
                          interrupt_mode="message", env={})

    def format_kernel_cmd(self, extra_arguments=None):
        return [a.replace("{connection_file}", self.connection_file) for a in self._argv]
