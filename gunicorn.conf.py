"""Settings gunicorn reads by itself when started from the project folder (`make run`,
`make bench`, `make load`); a command-line option still overrides them."""

# No control socket. Its default path is one per user ($HOME/.gunicorn/gunicorn.ctl), so every
# gunicorn on a host would share it and `gunicornc` would act on whichever started last. Give
# an instance its own with --control-socket PATH if you want gunicornc.
control_socket_disable = True
