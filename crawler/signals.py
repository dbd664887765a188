"""Signals that wire the WARC writer, the run and the database together.

Each is sent with ``crawler.signals.send_catch_log(signal, **kwargs)``; the keyword arguments
are documented beside the signal.
"""

# A crawl run row exists: ``run_id`` (int), ``job`` (str).
run_started = object()
# A fetch was written to the WARC: ``capture`` (dict of the captures table's columns).
capture_written = object()
# A WARC file was closed: ``closed`` (archive.writer.ClosedWarc).
warc_file_closed = object()
