"""Annotations by researchers: accounts, the annotation model, and validated atomic writes of
each account's graph (``{base}/graph/annotations/{account}``).

``service.Annotations`` is the entry: the web edge and the command line call it.
"""
