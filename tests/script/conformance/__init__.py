"""Conformance of yingxi's Fountain reader with the test suites of four peer parsers.

One adapter per suite (:mod:`.screenplain`, :mod:`.jouvence`, :mod:`.aw_parser`,
:mod:`.fountain_tools`) turns the suite's expected output into :class:`.model.Norm` records;
:func:`.suites.from_document` does the same for yingxi's
:class:`~yingxi.script.fountain.elements.FountainDocument`; :func:`.model.project` applies
the suite's normalization to both sides; :data:`.deviations.DEVIATIONS` lists the deliberate
disagreements. Run ``.venv/bin/pytest tests/script/test_conformance.py`` or
``.venv/bin/python bench/conformance.py``.
"""
