"""Streamlit's browser protocol, spoken by a script: one session without a browser.

A browser tab talks to the server over one WebSocket (``/_stcore/stream``,
subprotocol ``streamlit``) carrying Streamlit's own protobuf messages: the
tab sends a ``BackMsg`` (``rerun_script``: query string, page, every widget's
value) and the server answers with ``ForwardMsg`` s (``new_session``, one
``delta`` per element, then ``script_finished``). :class:`Session` keeps what
the tab keeps (the widget values, the page) and times each rerun from the
``BackMsg`` to its ``script_finished``.

The message classes are the installed Streamlit's own (``streamlit.proto``),
so this client always matches the server it drives. Pure functions
(:func:`rerun_message`, :func:`widget_ids`, :func:`click_value`) are unit-tested in
``tests/test_benchmark.py``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

STREAM_PATH: Final = "/_stcore/stream"
SUBPROTOCOL: Final = "streamlit"
MAX_MESSAGE: Final = 64 * 2**20
"""Largest ForwardMsg accepted (bytes); a map page sends a few hundred kB."""

WidgetValue = list[str] | str | bool | dict[str, Any]
"""A widget's value as the tab sends it: a multiselect's formatted options,
a selectbox's option, a button's trigger (``True``), a component's JSON."""


class ProtocolError(RuntimeError):
    """The server answered with something a session cannot go on from."""


def widget_state(widget_id: str, value: WidgetValue) -> WidgetState:
    """One ``WidgetState`` as the front end encodes it for ``value``'s kind."""
    state = WidgetState(id=widget_id)
    if isinstance(value, bool):
        state.trigger_value = value
    elif isinstance(value, list):
        state.string_array_value.data.extend(value)
    elif isinstance(value, dict):
        state.json_value = json.dumps(value, ensure_ascii=False)
    else:
        state.string_value = value
    return state


def rerun_message(
    widgets: Mapping[str, WidgetValue],
    *,
    query_string: str = "",
    page_script_hash: str = "",
    url: str = "",
    cached_hashes: Iterable[str] = (),
) -> bytes:
    """The serialised ``BackMsg`` asking for a rerun with ``widgets`` (id -> value).

    ``cached_hashes`` are the hashes of the large elements the tab already
    holds: the server then sends a ``ref_hash`` instead of such an element
    again, as it does for a browser.
    """
    msg = BackMsg()
    client = msg.rerun_script
    client.query_string = query_string
    client.page_script_hash = page_script_hash
    client.cached_message_hashes.extend(sorted(cached_hashes))
    client.context_info.timezone = "Asia/Shanghai"
    client.context_info.timezone_offset = -480
    client.context_info.locale = "zh-CN"
    if url:
        client.context_info.url = url
    client.widget_states.widgets.extend(widget_state(i, v) for i, v in widgets.items())
    return bytes(msg.SerializeToString())


def user_key(widget_id: str) -> str | None:
    """The ``key=`` a widget id was made from (``$$ID-<hash>-<key>``), or ``None``."""
    parts = widget_id.split("-", 2)
    if len(parts) < 3 or parts[2] == "None":
        return None
    return parts[2]


def element_of(msg: ForwardMsg) -> tuple[str, Any] | None:
    """(element type, element proto) of a ``new_element`` delta, else ``None``."""
    if msg.WhichOneof("type") != "delta" or msg.delta.WhichOneof("type") != "new_element":
        return None
    element = msg.delta.new_element
    kind = element.WhichOneof("type")
    return (kind, getattr(element, kind)) if kind else None


def widget_ids(messages: Sequence[ForwardMsg]) -> dict[str, str]:
    """Widget id by user key, by ``"label:<label>"`` and by ``"component:<name>"``."""
    ids: dict[str, str] = {}
    for msg in messages:
        found = element_of(msg)
        if found is None:
            continue
        kind, proto = found
        widget_id = getattr(proto, "id", "")
        if not isinstance(widget_id, str) or not widget_id.startswith("$$ID-"):
            continue
        key = user_key(widget_id)
        if key is not None:
            ids[key] = widget_id
        label = getattr(proto, "label", "")
        if label:
            ids.setdefault(f"label:{label}", widget_id)
        if kind == "component_instance":  # streamlit-folium keys its widget by a hash
            ids[f"component:{proto.component_name}"] = widget_id
    return ids


def exceptions(messages: Sequence[ForwardMsg]) -> list[str]:
    """The messages of every ``st.exception`` element (an uncaught error in a page)."""
    out = []
    for msg in messages:
        found = element_of(msg)
        if found is not None and found[0] == "exception":
            out.append(f"{found[1].type}: {found[1].message}")
    return out


def click_value(feature_id: str, *, seq: int) -> dict[str, Any]:
    """What streamlit-folium returns when a feature of ours is clicked.

    ``last_active_drawing`` is the clicked layer's GeoJSON and
    ``last_object_clicked_count`` streamlit-folium's click counter (the app
    tells a click from a move or a layer switch by it); ``seq`` makes every
    click a new value with a higher count, as a real click is (an equal value
    would not fire ``on_change``).
    """
    return {
        "last_object_clicked_count": seq + 1,
        "last_active_drawing": {
            "type": "Feature",
            "properties": {"layer": "feature", "id": feature_id, "seq": seq},
            "geometry": None,
        },
    }


@dataclass
class RunResult:
    """One rerun: how long it took and what it drew."""

    seconds: float
    messages: list[ForwardMsg]
    received: int = 0
    """Bytes the server sent for this run."""


@dataclass
class Session:
    """One tab: its WebSocket, widget values and page, as the front end holds them."""

    ws: Any
    query_string: str = ""
    page_script_hash: str = ""
    values: dict[str, WidgetValue] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)
    cache: dict[str, ForwardMsg] = field(default_factory=dict)
    """Cacheable messages by hash, as the front end's ForwardMsgCache keeps them."""
    received_bytes: int = 0

    async def rerun(
        self, changes: Mapping[str, WidgetValue] | None = None, *, timeout: float = 60.0
    ) -> RunResult:
        """Send the widget values (with ``changes`` by id) and wait for the run's end.

        Button triggers (``True``) are sent once, as the front end does.
        """
        import asyncio

        changes = dict(changes or {})
        sent = {**self.values, **changes}
        self.values.update({k: v for k, v in changes.items() if not isinstance(v, bool)})
        started, before = time.perf_counter(), self.received_bytes
        await self.ws.send(
            rerun_message(
                sent,
                query_string=self.query_string,
                page_script_hash=self.page_script_hash,
                cached_hashes=self.cache,
            )
        )
        messages: list[ForwardMsg] = []
        async with asyncio.timeout(timeout):
            while True:
                raw = await self.ws.recv()
                self.received_bytes += len(raw)
                msg = self.resolve(raw)
                kind = msg.WhichOneof("type")
                if kind == "new_session":
                    self.page_script_hash = msg.new_session.page_script_hash
                    messages.clear()  # a new run began: what came before was the old one
                elif kind == "script_finished":
                    status = msg.script_finished
                    if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                        continue
                    if status != ForwardMsg.FINISHED_SUCCESSFULLY:
                        raise ProtocolError(f"script finished with status {status}")
                    break
                elif kind == "page_info_changed":  # the app wrote st.query_params
                    self.query_string = msg.page_info_changed.query_string
                elif kind == "page_not_found":
                    raise ProtocolError("page not found")
                messages.append(msg)
        seconds = time.perf_counter() - started
        errors = exceptions(messages)
        if errors:
            raise ProtocolError("; ".join(errors))
        self.ids.update(widget_ids(messages))
        return RunResult(seconds, messages, self.received_bytes - before)

    def resolve(self, raw: bytes) -> ForwardMsg:
        """Parse one ForwardMsg; a ``ref_hash`` becomes the cached message it names."""
        msg = ForwardMsg()
        msg.ParseFromString(raw)
        if msg.WhichOneof("type") == "ref_hash":
            cached = self.cache.get(msg.ref_hash)
            if cached is None:
                error = f"reference to a message never received ({msg.ref_hash})"
                raise ProtocolError(error)
            full = ForwardMsg()
            full.CopyFrom(cached)
            full.metadata.CopyFrom(msg.metadata)  # where it goes this time
            return full
        if msg.metadata.cacheable and msg.hash:
            self.cache[msg.hash] = msg
        return msg

    def widget(self, key: str) -> str:
        """The id of the widget with ``key`` (or ``"label:…"``) seen so far."""
        try:
            return self.ids[key]
        except KeyError:
            msg = f"no widget {key!r} on the page (seen: {sorted(self.ids)})"
            raise ProtocolError(msg) from None
