from nqpf_text.cli import main

main()
