"""An asyncio event loop on its own daemon thread, for the model client.

The engine calls minds synchronously, but decisions due at the same minute should go
out concurrently. A dedicated loop that lives as long as the client keeps
AsyncOpenAI's connection pool bound to one loop (a client bound to a closed loop
breaks), and lets the synchronous side submit coroutines and wait for them.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Coroutine
from typing import Any

CLOSE_SECONDS = 5.0  # the most closing may take, per step


class LoopThread:
    """An event loop running forever on a daemon thread."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="hindsight-llm",
                                       daemon=True)
        self.thread.start()

    def submit(self, coro: Coroutine[Any, Any, Any]) -> concurrent.futures.Future[Any]:
        return asyncio.run_coroutine_threadsafe(coro, self.loop)

    def close(self) -> None:
        if self.loop.is_closed():
            return
        try:  # let streams close and abandoned requests end before the loop goes
            self.submit(_wind_down()).result(CLOSE_SECONDS)
        except Exception:  # noqa: BLE001 - closing must never raise
            pass
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(CLOSE_SECONDS)
        if not self.thread.is_alive():
            self.loop.close()


async def _wind_down() -> None:
    """What ``asyncio.run`` does on its way out: cancel what is left (a request whose
    answer nobody will read), then close async generators (an unfinished stream)."""
    await asyncio.sleep(0)  # closings already handed to this loop get their tasks
    rest = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    for task in rest:
        task.cancel()
    if rest:
        await asyncio.wait(rest, timeout=CLOSE_SECONDS)
    await asyncio.get_running_loop().shutdown_asyncgens()
