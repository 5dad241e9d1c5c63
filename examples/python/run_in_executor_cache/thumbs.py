"""Thumbnails rendered in the default executor, remembered per image size."""
import asyncio

rendered = {}


def render(image, size):
    key = (image, size)
    if rendered.get(key) is None:
        rendered[key] = f"{image}@{size}"  # want ML202 "one insert overwrites the other"
    return rendered[key]


async def serve(requests):
    loop = asyncio.get_running_loop()
    futures = [loop.run_in_executor(None, render, img, size) for img, size in requests]
    return await asyncio.gather(*futures)


if __name__ == "__main__":
    asyncio.run(serve([("a.png", 64), ("a.png", 64)]))
