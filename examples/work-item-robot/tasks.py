"""A robot in Robocorp's style, without Robocorp's libraries.

Robocorp's work-item FileAdapter reads RC_WORKITEM_INPUT_PATH (a JSON list of
{"payload": ..., "files": {name: path}}) and writes RC_WORKITEM_OUTPUT_PATH; a robot
written with robocorp.workitems or RPA.Robocorp.WorkItems reads the same files unchanged.
"""

import json
import os
from pathlib import Path


def main() -> None:
    inputs = json.loads(Path(os.environ["RC_WORKITEM_INPUT_PATH"]).read_text())
    item = inputs[0]
    payload = item.get("payload") or {}
    name = payload.get("name") or "stranger"
    greeting = f"Hello, {name}!"

    receipt = Path("output") / "receipt.txt"
    receipt.parent.mkdir(exist_ok=True)
    receipt.write_text(f"{greeting}\nfiles: {', '.join(sorted(item.get('files') or {})) or '-'}\n")

    outputs = [{"payload": {"greeting": greeting, "received": payload}, "files": {"receipt.txt": str(receipt.resolve())}}]
    Path(os.environ["RC_WORKITEM_OUTPUT_PATH"]).write_text(json.dumps(outputs))
    # botgate's own output variables, for the other APIs.
    Path(os.environ["BOTGATE_OUTPUT"]).write_text(json.dumps({"greeting": greeting, "itemCount": len(inputs)}))
    print(greeting)


if __name__ == "__main__":
    main()
