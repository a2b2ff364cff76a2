"""Developer tools that ship with the repository: the local Discord emulator and the sandbox."""
