import multiprocessing as mp


def work(x):
    return x * 2


if __name__ == "__main__":
    mp.set_start_method("spawn")
    with mp.Pool(2) as pool:
        print("first", pool.map(work, [1, 2, 3, 4]))
        print("second", pool.map(work, [1, 2, 3, 4]))
