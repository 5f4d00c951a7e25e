from greeter import greet


def test_greets_by_name():
    message = greet("Ada")
    assert message == "Hello, Ada!"


def test_greets_anyone():
    assert greet("Bob").startswith("Hello")


class TestPolite:
    def test_ends_with_bang(self):
        assert greet("Eve").endswith("!")
