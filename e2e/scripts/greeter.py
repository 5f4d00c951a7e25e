"""End-to-end test program: Restart Frame runs a call again with the applied code."""


def greet(name):
    greeting = "hello " + name
    return greeting


def main():
    print(greet("world"))
    print("done")


main()
