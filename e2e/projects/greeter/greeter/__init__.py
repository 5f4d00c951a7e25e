"""A tiny package for the end-to-end tests: run as `python -m greeter.cli --name NAME`."""


def greet(name):
    return f"Hello, {name}!"
