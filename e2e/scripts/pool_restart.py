import multiprocessing as mp

import pool_work

if __name__ == "__main__":
    mp.set_start_method("spawn")
    with mp.Pool(1) as pool:
        print("results", pool.map(pool_work.double, [1, 2, 3]))
