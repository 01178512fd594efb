"""Chromium for the scanner (and the browser tests): where it is, how it starts, how it is stopped.

The scanner starts Chromium itself rather than through Playwright's launcher: it needs the process id so
a watchdog can stop a browser whose page never lets go (a script in an endless loop blocks every call
into the page, and Playwright's evaluate has no timeout). Playwright then connects over CDP.

Each phase gets a new profile directory: a normal (not incognito) profile whose third-party cookie
setting is "allow", which is what desktop Chrome does by default. Playwright's own contexts are
incognito-like and block third-party cookies, so a scan through them would miss every tracker that
sets its cookies from its own domain.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# A normal desktop Chrome: HeadlessChrome is a bot to many sites (and to our own collector).
USER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
WINDOW_SIZE = "1366,768"


def chromium_path() -> str | None:
    """CHROMIUM_PATH, else Debian's Chromium, else None (Playwright's own build)."""
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


class BrowserError(Exception):
    """Chromium could not be started."""


@dataclass
class Chromium:
    """One running Chromium with its own throw-away profile, reachable over CDP."""

    process: subprocess.Popen[bytes]
    profile: Path
    cdp_url: str

    def kill(self) -> None:
        """Stop the browser and every process it started (its own process group, even after it exited)."""
        try:
            if hasattr(os, "killpg"):
                os.killpg(self.process.pid, signal.SIGKILL)
            elif self.process.poll() is None:  # pragma: no cover - not POSIX
                self.process.kill()
        except (ProcessLookupError, PermissionError):
            pass  # nothing of it is left

    def stop(self) -> None:
        """Ask the browser to quit, kill it if it does not, and remove its profile."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.kill()
        self.kill()  # renderers left behind by a browser that exited on its own
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)
        # Helper processes write into the profile as they go, so it is removed once they are gone.
        deadline = time.monotonic() + 3
        while self._group_alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        shutil.rmtree(self.profile, ignore_errors=True)

    def _group_alive(self) -> bool:
        """True while a live (not zombie) process of the browser's process group remains."""
        group = self.process.pid
        proc = Path("/proc")
        if not proc.is_dir():  # pragma: no cover - not Linux: ask the group as a whole
            try:
                os.killpg(group, 0)
            except (ProcessLookupError, PermissionError, AttributeError):
                return False
            return True
        for stat in proc.glob("[0-9]*/stat"):
            try:
                fields = stat.read_text(encoding="utf-8", errors="replace").rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue  # gone while we looked
            if len(fields) > 2 and fields[2] == str(group) and fields[0] not in {"Z", "X"}:
                return True
        return False


def start_chromium(executable: str, *, user_agent: str = USER_AGENT, timeout_s: float = 20.0) -> Chromium:
    """Start a headless Chromium on a fresh profile that allows third-party cookies. Raises BrowserError."""
    profile = Path(tempfile.mkdtemp(prefix="consent-scan-"))
    (profile / "Default").mkdir()
    # 0 = allow third-party cookies (Chrome's default outside incognito; 1 blocks them in incognito only).
    preferences = {"profile": {"cookie_controls_mode": 0}}
    (profile / "Default" / "Preferences").write_text(json.dumps(preferences), encoding="utf-8")
    command = [
        executable,
        *LAUNCH_ARGS,
        "--remote-debugging-port=0",
        f"--user-data-dir={profile}",
        f"--user-agent={user_agent}",
        f"--window-size={WINDOW_SIZE}",
        "--hide-scrollbars",
        "--mute-audio",
        "about:blank",
    ]
    try:
        process = subprocess.Popen(  # noqa: S603 (our own argument list, no shell)
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
    except OSError as exc:
        shutil.rmtree(profile, ignore_errors=True)
        raise BrowserError(f"Chromium could not start ({executable}): {exc.strerror or exc}") from None
    chromium = Chromium(process, profile, "")
    port_file = profile / "DevToolsActivePort"
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            chromium.stop()
            raise BrowserError(f"Chromium exited at start with status {process.returncode} ({executable})")
        text = port_file.read_text(encoding="utf-8") if port_file.exists() else ""
        lines = text.splitlines()
        if len(lines) >= 2:
            chromium.cdp_url = f"ws://127.0.0.1:{lines[0]}{lines[1]}"
            return chromium
        time.sleep(0.05)
    chromium.stop()
    raise BrowserError(f"Chromium did not open its debugging port within {timeout_s:.0f} s ({executable})")
