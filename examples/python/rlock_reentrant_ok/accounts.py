"""Bank accounts guarded by an RLock that helpers re-acquire."""
import threading


class Bank:
    def __init__(self):
        self._lock = threading.RLock()
        self._balances = {}

    def deposit(self, account, amount):
        with self._lock:
            self._balances[account] = self._balances.get(account, 0) + amount

    def transfer(self, src, dst, amount):
        with self._lock:
            if self._balances.get(src, 0) >= amount:
                self.deposit(src, -amount)
                self.deposit(dst, amount)

    def total(self):
        with self._lock:
            return sum(v for v in self._balances.values())


def main():
    bank = Bank()
    ts = [threading.Thread(target=bank.deposit, args=(f"acct{i % 3}", 10)) for i in range(9)]
    ts.append(threading.Thread(target=bank.transfer, args=("acct0", "acct1", 5)))
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    print(bank.total())


if __name__ == "__main__":
    main()
