"""A robot in Robocorp's style, without Robocorp's libraries.

Robocorp's work-item FileAdapter reads RC_WORKITEM_INPUT_PATH (a JSON list of
{"payload": ..., "files": {name: path}}) and writes RC_WORKITEM_OUTPUT_PATH in the same
format, a file named by its key and its path relative to the output file's folder; a robot
written with robocorp.workitems or RPA.Robocorp.WorkItems reads and writes the same files.
"""

import json
import os
from pathlib import Path


def main() -> None:
    inputs = json.loads(Path(os.environ["RC_WORKITEM_INPUT_PATH"]).read_text())
    payload = inputs[0].get("payload") or {}
    name = (payload.get("name") if isinstance(payload, dict) else None) or "stranger"
    greeting = f"Hello, {name}!"

    # Every input item's files, read as the FileAdapter hands them over: name -> path.
    lines = [greeting]
    for item in inputs:
        for file_name, path in sorted((item.get("files") or {}).items()):
            content = Path(path).read_bytes()
            lines.append(f"{file_name}: {len(content)} bytes, starts {content[:20].decode(errors='replace')!r}")
    if len(lines) == 1:
        lines.append("files: -")

    receipt = Path("output") / "receipt.txt"
    receipt.parent.mkdir(exist_ok=True)
    receipt.write_text("\n".join(lines) + "\n")

    out_path = Path(os.environ["RC_WORKITEM_OUTPUT_PATH"])
    # As robocorp.workitems writes it: the key is the file's name, the path relative to this file's folder.
    outputs = [{"payload": {"greeting": greeting, "received": payload}, "files": {"receipt.txt": os.path.relpath(receipt.resolve(), out_path.parent.resolve())}}]
    out_path.write_text(json.dumps(outputs, indent=4))
    # botgate's own output variables, for the other APIs.
    Path(os.environ["BOTGATE_OUTPUT"]).write_text(json.dumps({"greeting": greeting, "itemCount": len(inputs)}))
    print(greeting)


if __name__ == "__main__":
    main()
