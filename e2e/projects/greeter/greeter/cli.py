import argparse
import os

from greeter import greet


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--name", required=True)
    options = parser.parse_args()
    message = greet(options.name)
    print(f"{message} (mode {os.environ.get('GREETER_MODE', 'unset')})")


if __name__ == "__main__":
    main()
