// Removed once the module has sources of its own (CMake needs one source per library).
