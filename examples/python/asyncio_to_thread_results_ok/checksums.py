"""Blocking hashing in threads; results come back through the awaited values."""
import asyncio
import hashlib


def digest(path):
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


async def checksums(paths):
    out = {}
    digests = await asyncio.gather(*(asyncio.to_thread(digest, p) for p in paths))
    for p, d in zip(paths, digests):
        out[p] = out.get(p, "") + d
    return out


if __name__ == "__main__":
    print(asyncio.run(checksums([__file__])))
