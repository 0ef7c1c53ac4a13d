from pinlint.cli.app import main

main()
