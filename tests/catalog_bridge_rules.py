#!/usr/bin/python3
"""The catalog a model bridge publishes for a Hugging Face hub cache, written
from the rules in PROTOCOL.md "How a bridge builds its catalog" (not from the
station's code), for tests/tst_catalog_bridge.cpp to compare the station with.

usage: catalog_bridge_rules.py HUB_CACHE_DIR
Prints {"models": [<entry>, ...]} as JSON on stdout. Standard library only.

The rules, as PROTOCOL.md states them:
- folders models--{org}--{name}, split on "--"; fewer than two parts: skipped;
- only snapshots/, and of it only the snapshot folder with the newest mtime;
- only regular files directly in that folder (no sub-folders); files under
  1,000,000 bytes are skipped;
- by extension (lower-cased): .gguf -> llm/gguf ["text_generation","chat"];
  .pt/.bin/.safetensors -> format pt, vision ["object_detection"] if the repo
  name contains "yolo" (any case), else llm ["text_generation"];
  .tflite/.onnx -> vision, ["object_detection","classification"]; others skipped;
- model_id = "{name}-{stem}" lower-cased, spaces turned into "-"; a later file
  with the same id replaces the earlier one ("later": the order Python lists
  the directories in, which is the file system's);
- name "{org}/{name} - {stem}", version "1.0.0", source "huggingface",
  source_ref "{org}/{name}", metadata {"filename", "snapshot"}, classes and
  class_count null.
"""
import hashlib
import json
import sys
from pathlib import Path

MIN_BYTES = 1_000_000


def sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def kind_of(ext, repo_name):
    """(type, format, capabilities) for a lower-cased extension, or None."""
    if ext == ".gguf":
        return "llm", "gguf", ["text_generation", "chat"]
    if ext in (".pt", ".bin", ".safetensors"):
        if "yolo" in repo_name.lower():
            return "vision", "pt", ["object_detection"]
        return "llm", "pt", ["text_generation"]
    if ext == ".tflite":
        return "vision", "tflite", ["object_detection", "classification"]
    if ext == ".onnx":
        return "vision", "onnx", ["object_detection", "classification"]
    return None


def newest_snapshot(repo_dir):
    snapshots = repo_dir / "snapshots"
    if not snapshots.is_dir():
        return None
    folders = [p for p in snapshots.iterdir() if p.is_dir()]
    if not folders:
        return None
    return max(folders, key=lambda p: p.stat().st_mtime)  # the first of equals


def catalog(hub):
    models = {}
    for repo_dir in Path(hub).iterdir():
        if not repo_dir.name.startswith("models--") or not repo_dir.is_dir():
            continue
        parts = repo_dir.name[len("models--"):].split("--")
        if len(parts) < 2:
            continue
        org, name = parts[0], parts[1]
        snapshot = newest_snapshot(repo_dir)
        if snapshot is None:
            continue
        for f in snapshot.iterdir():
            if not f.is_file():  # a link to a regular file is one
                continue
            if f.stat().st_size < MIN_BYTES:
                continue
            kind = kind_of(f.suffix.lower(), name)
            if kind is None:
                continue
            model_type, model_format, capabilities = kind
            model_id = f"{name}-{f.stem}".lower().replace(" ", "-")
            models[model_id] = {
                "model_id": model_id,
                "name": f"{org}/{name} - {f.stem}",
                "type": model_type,
                "format": model_format,
                "size_bytes": f.stat().st_size,
                "sha256": sha256_of(f),
                "version": "1.0.0",
                "capabilities": capabilities,
                "classes": None,
                "class_count": None,
                "source": "huggingface",
                "source_ref": f"{org}/{name}",
                "metadata": {"filename": f.name, "snapshot": snapshot.name},
            }
    return list(models.values())


def main():
    if len(sys.argv) != 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    json.dump({"models": catalog(sys.argv[1])}, sys.stdout, ensure_ascii=False)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
