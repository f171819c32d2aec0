"""One real third-party OpenAI instrumentation, the real `openai` Python client and the real
OpenTelemetry SDK exporting OTLP/HTTP: the calls a test asks for, made against the endpoint it
gives (a canned OpenAI-compatible server), the spans exported to the Collector it gives.

    python emit.py --instrumentation otel-v2|openllmetry|openinference \
        --base-url http://127.0.0.1:PORT/v1 --otlp-endpoint http://127.0.0.1:PORT \
        --otlp-header 'Authorization=Bearer …' --service NAME --model o4-mini chat stream error

Prints one line per call (`chat ok`, `error BadRequestError`) and exits 0 once every span is
exported; any other failure exits non-zero.
"""

import argparse
import os
import sys

from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import (
    SimpleSpanProcessor,
    SpanExporter,
    SpanExportResult,
)

MESSAGES = [{"role": "user", "content": "Which channel should I rebalance?"}]


class CheckedExporter(SpanExporter):
    """Exports through `exporter` and remembers a failed export (the SDK only logs it)."""

    def __init__(self, exporter):
        self.exporter = exporter
        self.failed = False

    def export(self, spans):
        result = self.exporter.export(spans)
        if result is not SpanExportResult.SUCCESS:
            self.failed = True
        return result

    def shutdown(self):
        self.exporter.shutdown()


# Message content is captured wherever an instrumentation can capture it (some default it off):
# the ledger must keep none of it, whatever an emitter sends.
def instrumentor(name):
    if name == "otel-v2":
        # Content on spans needs the latest experimental GenAI conventions (opt-in).
        os.environ.setdefault("OTEL_SEMCONV_STABILITY_OPT_IN", "gen_ai_latest_experimental")
        os.environ.setdefault("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "SPAN_ONLY")
        from opentelemetry.instrumentation.openai_v2 import OpenAIInstrumentor

        return OpenAIInstrumentor()
    if name == "openllmetry":
        os.environ.setdefault("TRACELOOP_TRACE_CONTENT", "true")
        from opentelemetry.instrumentation.openai import OpenAIInstrumentor

        return OpenAIInstrumentor()
    if name == "openinference":
        from openinference.instrumentation.openai import OpenAIInstrumentor

        return OpenAIInstrumentor()
    raise SystemExit(f"unknown instrumentation {name!r}")


def call(client, kind, model):
    if kind == "chat":
        client.chat.completions.create(model=model, messages=MESSAGES, temperature=0.2)
    elif kind == "stream":
        stream = client.chat.completions.create(
            model=model,
            messages=MESSAGES,
            temperature=0.2,
            stream=True,
            stream_options={"include_usage": True},
        )
        for _ in stream:
            pass
    elif kind == "error":
        # The server answers 400 to a temperature above 2, as OpenAI does.
        client.chat.completions.create(model=model, messages=MESSAGES, temperature=7)
    else:
        raise SystemExit(f"unknown call {kind!r}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--instrumentation", required=True)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--otlp-endpoint", required=True)
    parser.add_argument("--otlp-header", action="append", default=[])
    parser.add_argument("--service", required=True)
    parser.add_argument("--model", default="o4-mini")
    parser.add_argument("calls", nargs="+")
    args = parser.parse_args()

    headers = dict(header.split("=", 1) for header in args.otlp_header)
    provider = TracerProvider(resource=Resource.create({"service.name": args.service}))
    exporter = CheckedExporter(
        OTLPSpanExporter(endpoint=f"{args.otlp_endpoint}/v1/traces", headers=headers)
    )
    # One export per span: the test's calls are few, and a failed export fails this run.
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    instrumentor(args.instrumentation).instrument(tracer_provider=provider)

    import openai

    client = openai.OpenAI(api_key="sk-canned", base_url=args.base_url, max_retries=0)
    for kind in args.calls:
        try:
            call(client, kind, args.model)
            print(f"{kind} ok", flush=True)
        except openai.APIStatusError as error:
            if kind != "error":
                raise
            print(f"{kind} {type(error).__name__}", flush=True)
    provider.shutdown()
    if exporter.failed:
        print("an OTLP export failed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
