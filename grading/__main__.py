from grading.cli import main

main()
