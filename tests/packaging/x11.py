"""Ask an X11 window to close the way its close button does: a WM_DELETE_WINDOW
client message (``xdotool windowclose`` destroys the window behind the
toolkit's back, and Xvfb has no window manager to send the message for us)."""

from __future__ import annotations

import ctypes
import ctypes.util

CLIENT_MESSAGE = 33
NO_EVENT_MASK = 0


class _ClientMessage(ctypes.Structure):
    _fields_ = (
        ("type", ctypes.c_int),
        ("serial", ctypes.c_ulong),
        ("send_event", ctypes.c_int),
        ("display", ctypes.c_void_p),
        ("window", ctypes.c_ulong),
        ("message_type", ctypes.c_ulong),
        ("format", ctypes.c_int),
        ("data", ctypes.c_long * 5),
    )


class _Event(ctypes.Union):
    """XEvent: every event kind padded to 24 longs."""

    _fields_ = (("client", _ClientMessage), ("pad", ctypes.c_long * 24))


def request_close(display: str, window: int) -> None:
    """Send WM_DELETE_WINDOW to ``window`` on ``display`` (":N")."""
    name = ctypes.util.find_library("X11")
    if name is None:
        raise OSError("libX11 is not installed")
    xlib = ctypes.CDLL(name)
    xlib.XOpenDisplay.restype = ctypes.c_void_p
    xlib.XOpenDisplay.argtypes = (ctypes.c_char_p,)
    xlib.XInternAtom.restype = ctypes.c_ulong
    xlib.XInternAtom.argtypes = (ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int)
    xlib.XSendEvent.argtypes = (
        ctypes.c_void_p,
        ctypes.c_ulong,
        ctypes.c_int,
        ctypes.c_long,
        ctypes.POINTER(_Event),
    )
    xlib.XFlush.argtypes = (ctypes.c_void_p,)
    xlib.XCloseDisplay.argtypes = (ctypes.c_void_p,)
    connection = xlib.XOpenDisplay(display.encode())
    if not connection:
        raise OSError(f"cannot open X display {display}")
    try:
        event = _Event()
        message = event.client
        message.type = CLIENT_MESSAGE
        message.display = connection
        message.window = window
        message.message_type = xlib.XInternAtom(connection, b"WM_PROTOCOLS", False)
        message.format = 32
        message.data[0] = xlib.XInternAtom(connection, b"WM_DELETE_WINDOW", False)
        message.data[1] = 0  # CurrentTime
        xlib.XSendEvent(connection, window, False, NO_EVENT_MASK, ctypes.byref(event))
        xlib.XFlush(connection)
    finally:
        xlib.XCloseDisplay(connection)
