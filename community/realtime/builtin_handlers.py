from community.realtime.registry import Frame


async def ping(connection, frame: Frame) -> Frame:
    """Keep-alive and latency probe: the client's `id` comes back untouched."""
    return {"type": "pong", "id": frame.get("id")}
