import ArgumentParser
import SynScenes

// Entry point; subcommands live in Commands/.
Synaptop.main()
