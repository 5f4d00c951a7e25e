"""End-to-end test program: a closure whose free variables an edit may change."""
import time


def make_scaler(factor):
    def scale(x):
        return x * factor
    return scale


scale = make_scaler(3)


def main():
    for i in range(100000):
        result = scale(i)
        print(f"result {result}")
        time.sleep(0.05)


main()
