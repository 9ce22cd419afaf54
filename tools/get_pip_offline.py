"""Stand-in for the get-pip.py that `ansible-test` downloads from ci-files.testing.ansible.com.

Our machines reach PyPI but not that host. ansible-test runs this file (through its
quiet_pip wrapper) inside each empty virtual environment it makes for a sanity test,
with pip-install arguments such as ``pip==24.2 --no-setuptools --no-wheel``. We get
the same result from the interpreter's bundled pip (ensurepip) followed by a normal
``pip install`` of the requested packages from PyPI.
"""

import subprocess
import sys

# get-pip.py understands these two flags itself; pip install does not.
GET_PIP_ONLY_FLAGS = {"--no-setuptools", "--no-wheel"}


def main() -> None:
    subprocess.run([sys.executable, "-m", "ensurepip", "--default-pip"], check=True,
                   stdout=subprocess.DEVNULL)
    args = [arg for arg in sys.argv[1:] if arg not in GET_PIP_ONLY_FLAGS]
    subprocess.run([sys.executable, "-m", "pip", "install", *args], check=True)


if __name__ == "__main__":
    main()
