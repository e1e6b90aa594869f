from community.realtime.registry import Frame, frame_handler


@frame_handler("ping")
async def ping(connection, frame: Frame) -> Frame:
    """Keep-alive and latency probe: the client's `id` comes back untouched."""
    return {"type": "pong", "id": frame.get("id")}
