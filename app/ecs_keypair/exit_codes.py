"""The process's exit statuses, one name each, for every door (command line, app, serve)."""

EXIT_OK = 0
EXIT_FAILED = 1  # the API's error, a file refused, an answer that could not be delivered
EXIT_USAGE = 2  # a command line (or a missing terminal) that cannot become what it asks for
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports Ctrl-C
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, as a shell reports a reader that went away
EXIT_TERMINATED = 143  # 128 + SIGTERM
