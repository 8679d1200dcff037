# common environment for all spike scripts
export RAY_USAGE_STATS_ENABLED=0
export V=/work/spike-ray/venv/bin
export PATH=$V:$PATH
