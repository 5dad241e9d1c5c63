"""A lazily filled cache of loaded models, served by a thread pool."""
from concurrent.futures import ThreadPoolExecutor


class ModelCache:
    def __init__(self, loader):
        self._loader = loader
        self._models = {}

    def get(self, name):
        if name not in self._models:
            self._models[name] = self._loader(name)  # want ML202 "checking that the key is absent"
        return self._models[name]


def predict_all(cache, requests):
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(lambda r: cache.get(r["model"]).predict(r["x"]), requests))


if __name__ == "__main__":
    predict_all(ModelCache(lambda n: n), [{"model": "a", "x": 1}])
