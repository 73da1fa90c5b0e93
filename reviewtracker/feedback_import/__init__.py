"""The offline Excel template: download, round trip, upload, preview, confirm, history and undo."""
