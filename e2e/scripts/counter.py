"""End-to-end test program: a loop that prints a computed value."""
import time


def compute(n):
    return n * 2


def main():
    for i in range(100000):
        value = compute(i)
        print(f"value {value}")
        time.sleep(0.05)


main()
