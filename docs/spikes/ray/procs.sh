#!/bin/bash
# list Ray processes started from this spike's venv (workers rename themselves ray::*)
pgrep -af '^ray::|/work/spike-ray/venv' | grep -v pgrep
