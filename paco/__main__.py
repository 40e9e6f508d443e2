from paco.cli import main

main()
