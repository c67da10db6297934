#!/usr/bin/env python3
"""Embeds data/digits.csv into Sources/SynModels/Data/DigitsCSV.swift as a raw string literal."""
import os
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
csv = open(os.path.join(root, 'data/digits.csv')).read()
out = ('// Generated from data/digits.csv (see data/README.md for provenance and license: CC BY 4.0,\n'
       '// Alpaydin & Kaynak 1998, UCI ML Repository, doi:10.24432/C50P49). Do not edit by hand:\n'
       '// scripts/embed_digits.py regenerates it; a test checks it matches the CSV.\n\n'
       '/// The 1797 UCI 8x8 digits as CSV text: 64 pixels (0...16) then the label, one row per line.\n'
       'let digitsCSV = #"""\n' + csv.rstrip('\n') + '\n"""#\n')
open(os.path.join(root, 'Sources/SynModels/Data/DigitsCSV.swift'), 'w').write(out)
