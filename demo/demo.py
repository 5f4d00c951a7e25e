"""Dapper Desktop demo: set a breakpoint in price_with_tax, edit it, press Apply Changes."""
import time


TAX_RATE = 0.2


def price_with_tax(price):
    return round(price * (1 + TAX_RATE), 2)


class Basket:
    def __init__(self):
        self.items = []

    def add(self, name, price):
        self.items.append((name, price))

    def total(self):
        return sum(price_with_tax(price) for _, price in self.items)


def main():
    basket = Basket()
    for step in range(1, 1000):
        basket.add(f"item {step}", step * 1.5)
        print(f"step {step}: price {price_with_tax(step * 1.5)} total {basket.total()}")
        time.sleep(0.5)


if __name__ == "__main__":
    main()
