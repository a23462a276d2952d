"""Turning a question into one answer: the run lifecycle, the one model-call seam, planning,
the DAG executor, prompts, synthesis, the recorder and run export."""
