#!/usr/bin/env bash
# Makes, under the folder $1, the broken inputs the .test files name:
#   bad/NAME/occupations_en.csv  one ESCO folder per tests/data/bad/NAME.csv
#   badsyn/                      a data folder whose synonyms file is broken
#   models/                      where sample.test trains a model
# Run from the repository root.
set -eu
w=$1
for f in tests/data/bad/*.csv; do
    d="$w/bad/$(basename "$f" .csv)"; mkdir -p "$d"; cp "$f" "$d/occupations_en.csv"
done
mkdir -p "$w/badsyn/synonyms"
cp -r data/stop "$w/badsyn/"
printf 'qa\tquality assurance\nlonely\n' > "$w/badsyn/synonyms/en.tsv"
mkdir -p "$w/models"
