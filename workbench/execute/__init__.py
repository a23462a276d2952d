"""Turning a question or a plan into one answer: routing, the DAG executor, prompts,
synthesis, the LLM planner, the direct chat path and run export."""
