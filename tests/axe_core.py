"""axe-core for the browser tests: taken from npm (`npm pack`), cached, injected into the page by the tests.

`python -m tests.axe_core` fetches it ahead of time (`make test` does); a test fetches it itself when it is absent,
the same way, so a fresh machine and CI behave alike.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

AXE_VERSION = "4.14.1"


def cache_dir() -> Path:
    base = os.environ.get("ASSISTANT_CACHE_DIR") or Path.home() / ".cache" / "jiaxing-gazette-assistant"
    return Path(base) / f"axe-core-{AXE_VERSION}"


def axe_js() -> Path:
    """The path of axe.min.js, fetched with `npm pack axe-core@<version>` when it is not cached yet."""
    target = cache_dir() / "axe.min.js"
    if target.exists():
        return target
    if shutil.which("npm") is None:
        raise RuntimeError("npm is needed to fetch axe-core for the accessibility tests (apt-get install npm)")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        subprocess.run(["npm", "pack", f"axe-core@{AXE_VERSION}", "--silent", "--pack-destination", tmp],
                       check=True, capture_output=True, timeout=300)
        tgz = next(Path(tmp).glob("axe-core-*.tgz"))
        with tarfile.open(tgz) as tar:
            member = tar.extractfile("package/axe.min.js")
            assert member is not None, "axe-core package without axe.min.js"
            partial = Path(tmp) / "axe.min.js"
            partial.write_bytes(member.read())
        partial.replace(target)  # atomic: a test never reads half a file
    return target


def serious_violations(page, context: str | None = None) -> list[dict]:
    """Inject axe-core and return the serious and critical violations of the page (or of one selector)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_js()))
    found = page.evaluate(
        """async (ctx) => {
            const r = await axe.run(ctx ? document.querySelector(ctx) : document,
                                    {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                            nodes: v.nodes.slice(0, 5).map(n => ({target: n.target.join(' '),
                                                                                  summary: n.failureSummary}))}));
        }""", context)
    return [v for v in found if v["impact"] in ("serious", "critical")]


if __name__ == "__main__":
    print(axe_js())
