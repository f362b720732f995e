"""Run notebooks top to bottom, each in its own fresh kernel, concurrently; a failure names notebook and cell."""

from __future__ import annotations

import asyncio
import re
import signal
import tempfile
from pathlib import Path

import nbformat
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

KERNEL = {"name": "python3", "display_name": "Python 3", "language": "python"}
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class NotebookError(RuntimeError):
    """A notebook failed: the message names the notebook, the cell and the error, without terminal colour codes."""


def plain(text: str) -> str:
    """Text without terminal colour codes (IPython colours its tracebacks)."""
    return ANSI_ESCAPE.sub("", text)


def _failed_cell(notebook) -> int | None:
    return next(
        (
            number
            for number, cell in enumerate(notebook.cells)
            if any(output.get("output_type") == "error" for output in cell.get("outputs", []))
        ),
        None,
    )


async def _execute(source: Path, cwd: Path, timeout: int) -> nbformat.NotebookNode:
    notebook = nbformat.read(source, as_version=4)
    notebook.metadata.setdefault("kernelspec", KERNEL)
    with tempfile.TemporaryDirectory() as runtime:
        manager = AsyncKernelManager(kernel_name=KERNEL["name"], transport="ipc", ip=str(Path(runtime) / "kernel"))
        client = NotebookClient(
            notebook,
            km=manager,
            timeout=timeout,
            record_timing=False,
            shutdown_kernel="immediate",
            resources={"metadata": {"path": str(cwd)}},
        )
        try:
            await client.async_execute()
        except CellExecutionError as error:
            raise NotebookError(f"{source.name}, cell {_failed_cell(notebook)}:\n{plain(str(error))}") from None
        except (CellTimeoutError, DeadKernelError) as error:
            raise NotebookError(f"{source.name}: {plain(str(error))}") from None
        finally:
            if manager.has_kernel:
                await manager.shutdown_kernel(now=True)
    for cell in notebook.cells:  # error outputs of cells run with raises-exception tags keep IPython's colours
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                output["traceback"] = [plain(line) for line in output["traceback"]]
    return notebook


async def _execute_all(sources: list[Path], cwd: Path, timeout: int) -> list[nbformat.NotebookNode]:
    tasks = [asyncio.ensure_future(_execute(source, cwd, timeout)) for source in sources]
    try:
        return list(await asyncio.gather(*tasks))
    except NotebookError:
        failures = [task.exception() for task in tasks if task.done() and not task.cancelled() and task.exception()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)  # let every kernel shut down
        raise NotebookError("\n".join(str(failure) for failure in failures)) from None


class _Loop(asyncio.SelectorEventLoop):
    """An event loop that leaves Ctrl-C to the build: nbclient registers a SIGINT handler per notebook (the last one
    wins) that stops a single kernel, which its notebook then reports as dead."""

    def add_signal_handler(self, sig: int, callback, *args) -> None:
        if sig != signal.SIGINT:
            super().add_signal_handler(sig, callback, *args)

    def remove_signal_handler(self, sig: int) -> bool:
        return sig != signal.SIGINT and super().remove_signal_handler(sig)


def execute_notebooks(sources: list[Path], cwd: Path, timeout: int = 600) -> list[nbformat.NotebookNode]:
    """Run each notebook in a fresh kernel started in cwd, concurrently; return the executed notebooks.

    Raises NotebookError naming every notebook and cell that failed; the other kernels are stopped at once.
    On Ctrl-C every kernel is stopped and KeyboardInterrupt raised, whatever the stopped kernels report.
    """
    interrupted = False
    with asyncio.Runner(loop_factory=_Loop) as runner:
        loop = runner.get_loop()

        def cancel_all() -> None:
            for task in asyncio.all_tasks(loop):
                task.cancel()

        def interrupt(signum: int, frame) -> None:
            nonlocal interrupted
            interrupted = True
            loop.set_exception_handler(lambda loop, context: None)  # the stopped kernels' pollers complain
            loop.call_soon_threadsafe(cancel_all)

        previous = signal.signal(signal.SIGINT, interrupt)
        try:
            return runner.run(_execute_all(sources, cwd, timeout))
        except BaseException:
            if interrupted:
                raise KeyboardInterrupt from None
            raise
        finally:
            signal.signal(signal.SIGINT, previous)
