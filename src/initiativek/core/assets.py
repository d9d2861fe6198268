"""Copy the front-end packages from node_modules into static/vendor (run by `make install`)."""

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
TARGET = ROOT / "src" / "initiativek" / "static" / "vendor"

# (source inside node_modules, destination inside static/vendor)
FILES = [
    ("@kern-ux/native/dist/kern.min.css", "kern/kern.min.css"),
    ("@kern-ux/native/dist/fonts", "kern/fonts"),
    ("@kern-ux/native/LICENSE.md", "kern/LICENSE.md"),
    ("axe-core/axe.min.js", "axe-core/axe.min.js"),
]


def _swap_font_display(css: Path) -> None:
    """Show text in a fallback font while Fira Sans loads instead of hiding it (WCAG 1.4)."""
    text = css.read_text(encoding="utf-8")
    if "font-display" not in text:
        css.write_text(text.replace("@font-face {", "@font-face {\n    font-display: swap;"))


def build() -> int:
    modules = ROOT / "node_modules"
    if not modules.is_dir():
        print("node_modules fehlt – bitte `npm ci` ausführen.", file=sys.stderr)
        return 1
    for source, destination in FILES:
        src, dst = modules / source, TARGET / destination
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        else:
            shutil.copy2(src, dst)
    _swap_font_display(TARGET / "kern" / "fonts" / "fira-sans.css")
    print(f"Front-end assets copied to {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(build())
