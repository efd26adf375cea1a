#!/usr/bin/python3
"""A stand-in for UDisks2 on a private bus, for the app's D-Bus eject
(app/UdisksEject.h; tests/tst_app_udisks_eject.cpp).

    fake_udisks2.py CONFIG.json [--address BUS]

Without --address it joins the bus that started it (bus activation:
DBUS_STARTER_ADDRESS). It owns org.freedesktop.UDisks2 and exports what the
eject reads: the ObjectManager at /org/freedesktop/UDisks2 (GetManagedObjects),
block objects (Block: Device, PreferredDevice, Drive; Filesystem: MountPoints)
and drive objects (Drive: CanPowerOff), with Filesystem.Unmount and
Drive.PowerOff. CONFIG says what there is and what goes wrong:

    {"log": "/tmp/calls.log",
     "drives": [{"name": "stick", "can_power_off": true,
                 "power_off_error": ["org.freedesktop.UDisks2.Error.NotAuthorized", "Not authorized"]}],
     "blocks": [{"name": "sdb", "drive": "stick"},
                {"name": "sdb1", "drive": "stick", "mounts": ["/media/usb"],
                 "unmount_error": ["org.freedesktop.UDisks2.Error.DeviceBusy", "target is busy"]}]}

A block's Device is /dev/NAME; "mounts" (even empty) gives it a Filesystem.
Every call is appended to the log as one JSON line: {"method", "object",
"options"}. Errors carry UDisks2's real names. Prints READY once it owns the
name. Python 3 with python3-dbus and python3-gi (Debian's /usr/bin/python3).
"""
import argparse
import json
import os

import dbus
import dbus.bus
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib

UDISKS = "org.freedesktop.UDisks2"
ROOT = "/org/freedesktop/UDisks2"
BLOCK = UDISKS + ".Block"
FILESYSTEM = UDISKS + ".Filesystem"
DRIVE = UDISKS + ".Drive"


def byte_string(text):
    # UDisks2's paths: ay with a trailing NUL.
    return dbus.ByteArray(text.encode() + b"\0")


def plain(value):
    if isinstance(value, dbus.Boolean):
        return bool(value)
    if isinstance(value, (dbus.Int32, dbus.UInt32, dbus.Int64, dbus.UInt64)):
        return int(value)
    return str(value)


class Fake:
    def __init__(self, config):
        self.log_path = config["log"]

    def log(self, method, obj, options):
        with open(self.log_path, "a") as f:
            f.write(json.dumps({"method": method, "object": obj,
                                "options": {str(k): plain(v) for k, v in options.items()}}) + "\n")


def udisks_error(pair):
    return dbus.DBusException(pair[1], name=pair[0])


class DriveObject(dbus.service.Object):
    def __init__(self, bus, fake, spec):
        self.path = ROOT + "/drives/" + spec["name"]
        super().__init__(bus, self.path)
        self.fake, self.spec = fake, spec

    def interfaces(self):
        return {DRIVE: dbus.Dictionary({"CanPowerOff": dbus.Boolean(self.spec.get("can_power_off", True))},
                                       signature="sv")}

    @dbus.service.method(DRIVE, in_signature="a{sv}", out_signature="")
    def PowerOff(self, options):
        self.fake.log("PowerOff", self.path, options)
        if "power_off_error" in self.spec:
            raise udisks_error(self.spec["power_off_error"])


class BlockObject(dbus.service.Object):
    def __init__(self, bus, fake, spec):
        self.path = ROOT + "/block_devices/" + spec["name"]
        super().__init__(bus, self.path)
        self.fake, self.spec = fake, spec
        self.mounts = spec.get("mounts")

    def interfaces(self):
        device = "/dev/" + self.spec["name"]
        drive = ROOT + "/drives/" + self.spec["drive"] if "drive" in self.spec else "/"
        out = {BLOCK: dbus.Dictionary({"Device": byte_string(device),
                                       "PreferredDevice": byte_string(device),
                                       "Drive": dbus.ObjectPath(drive)}, signature="sv")}
        if self.mounts is not None:
            out[FILESYSTEM] = dbus.Dictionary(
                {"MountPoints": dbus.Array([byte_string(m) for m in self.mounts], signature="ay")},
                signature="sv")
        return out

    @dbus.service.method(FILESYSTEM, in_signature="a{sv}", out_signature="")
    def Unmount(self, options):
        self.fake.log("Unmount", self.path, options)
        if "unmount_error" in self.spec:
            raise udisks_error(self.spec["unmount_error"])
        if not self.mounts:
            raise udisks_error([UDISKS + ".Error.NotMounted", "Device /dev/%s is not mounted" % self.spec["name"]])
        self.mounts = []


class Root(dbus.service.Object):
    def __init__(self, bus, fake, objects):
        super().__init__(bus, ROOT)
        self.fake, self.objects = fake, objects

    @dbus.service.method("org.freedesktop.DBus.ObjectManager", in_signature="", out_signature="a{oa{sa{sv}}}")
    def GetManagedObjects(self):
        self.fake.log("GetManagedObjects", ROOT, {})
        return {dbus.ObjectPath(o.path): dbus.Dictionary(o.interfaces(), signature="sa{sv}") for o in self.objects}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("config")
    parser.add_argument("--address", default=os.environ.get("DBUS_STARTER_ADDRESS"))
    args = parser.parse_args()
    with open(args.config) as f:
        config = json.load(f)

    dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
    bus = dbus.bus.BusConnection(args.address)
    loop = GLib.MainLoop()
    # The test's bus going away ends the fake, activated or not.
    bus.add_signal_receiver(loop.quit, signal_name="Disconnected", dbus_interface="org.freedesktop.DBus.Local")
    bus.set_exit_on_disconnect(False)
    fake = Fake(config)
    objects = [DriveObject(bus, fake, d) for d in config.get("drives", [])]
    objects += [BlockObject(bus, fake, b) for b in config.get("blocks", [])]
    root = Root(bus, fake, objects)  # exported while it lives
    name = dbus.service.BusName(UDISKS, bus, do_not_queue=True)  # owned while it lives
    print("READY", flush=True)
    loop.run()
    # The bus is gone: nothing to release, which BusName's destructor would
    # try at exit, and complain about.
    os._exit(0)


if __name__ == "__main__":
    main()
