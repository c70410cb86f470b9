#!/usr/bin/env bash
# Herald installer: installs dependencies, builds, writes the site config with fresh secrets,
# migrates the database, creates the first admin operator and starts the appliance through the
# watchdog in the foreground on the embedded SQLite database, or on an existing PostgreSQL (or SQL
# Server) database given with --database. Safe to run again: config, data and operators are kept.
#
#   ./install.sh              install, then run `herald start` in the foreground (Ctrl-C stops)
#   ./install.sh --no-start   install only
#   ./install.sh --systemd    install, then install and start a systemd service running the watchdog (needs root)
#   --bin-dir DIR             put the herald command in DIR (default /usr/local/bin as root, else ~/.local/bin)
#   --replace                 let this checkout take over a herald command (or herald service) of another one
#   --database URL            run on that existing database, e.g. postgres://user:password@host:5432/herald
#                             (an empty one owned by that user); written into the site config as database.url
# An existing config/herald.toml (or $HERALD_CONFIG) is completed, never replaced: missing secrets are
# generated, and settings given as HERALD_* variables (e.g. HERALD_WEB__PORT=8081) are written into it.
set -euo pipefail

usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; }
start=yes
systemd=no
replace=no
bindir=
while [ $# -gt 0 ]; do
  case "$1" in
    --no-start) start=no ;;
    --systemd) systemd=yes; start=no ;;
    --replace) replace=yes ;;
    --bin-dir) [ $# -ge 2 ] || { echo "install.sh: --bin-dir needs a folder" >&2; exit 64; }; bindir=$2; shift ;;
    --database) [ $# -ge 2 ] || { echo "install.sh: --database needs a URL" >&2; exit 64; }; export HERALD_DATABASE__URL=$2; shift ;;
    --database=*) export HERALD_DATABASE__URL=${1#--database=} ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install.sh: unknown option $1" >&2; usage >&2; exit 64 ;;
  esac
  shift
done

root=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
cd "$root"
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'install.sh: %s\n' "$*" >&2; exit 1; }
as_root() { [ "$(id -u)" -eq 0 ]; }
if [ -z "$bindir" ]; then
  if as_root; then bindir=/usr/local/bin; else bindir="$HOME/.local/bin"; fi
fi

# 0. Another checkout's herald command is never taken over silently: `herald` on the PATH would
# start running this checkout's code, data and config while the admin thinks they run the other one.
# Without --replace, this checkout is installed and the command is left where it points.
link="$bindir/herald"
keep_link=no
if [ -e "$link" ] || [ -L "$link" ]; then
  target=$(readlink -f "$link" 2>/dev/null || true)
  if [ "$target" != "$root/scripts/herald" ] && [ "$replace" != yes ]; then
    keep_link=yes
    case "$target" in
      */scripts/herald) owner="the Herald installed in ${target%/scripts/herald}" ;;
      *) owner="something else (${target:-$link})" ;;
    esac
    link_notice="$link runs $owner, not this checkout ($root); it is left as it is.
  To choose:
    ./install.sh --replace ...          point $link at this checkout (the other install stays, without the command)
    ./install.sh --bin-dir <dir> ...    put this checkout's command elsewhere (e.g. \$HOME/bin)
  or run this checkout's command directly: $root/scripts/herald"
    printf 'install.sh: note: %s\n' "$link_notice" >&2
  fi
fi
unit=/etc/systemd/system/herald.service
if [ "$systemd" = yes ] && [ -f "$unit" ] && ! grep -q "WorkingDirectory=$root\$" "$unit" && [ "$replace" != yes ]; then
  die "$unit runs the Herald in $(sed -n 's/^WorkingDirectory=//p' "$unit"), not this checkout ($root); run with --replace to make the herald service run this one instead."
fi

# 1. Node.js 20.19+ (or 22.12+), npm and a C/C++ toolchain (the SQLite driver is compiled here).
say "checking Node.js"
if ! command -v node >/dev/null 2>&1; then
  die "Node.js is not installed. Install Node.js 20.19 or later (e.g. 'apt-get install nodejs' on Debian 13, or https://nodejs.org), then run ./install.sh again."
fi
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit((a===20&&b>=19)||(a===22&&b>=12)||a>22?0:1)'; then
  die "Node.js $(node -v) is too old: Herald needs 20.19+ or 22.12+ (https://nodejs.org)."
fi
command -v npm >/dev/null 2>&1 || die "npm is missing: install the npm package that goes with Node.js $(node -v)."
missing=()
for tool in python3 make g++; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
  if as_root && command -v apt-get >/dev/null 2>&1; then
    say "installing build tools: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 make g++ >/dev/null
  else
    die "missing build tools: ${missing[*]} (needed to compile the SQLite driver); install them and run ./install.sh again."
  fi
fi

# 2. Dependencies, pinned by package-lock.json (skipped when already installed from the same lock file).
stamp=node_modules/.herald-lock-sha256
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$lock_sum" ]; then
  say "dependencies up to date"
else
  say "installing dependencies (npm ci; the SQLite driver compiles in about 2 minutes)"
  npm_config_nodedir="${npm_config_nodedir:-/usr}" npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_sum" > "$stamp"
fi

# 3. Build.
say "building"
rm -rf dist
npm run -s build

herald() { node "$root/dist/server/cli/main.js" "$@"; }

# 4. Site config: written with generated secrets (mode 600), or an existing one completed (missing
# secrets, HERALD_* settings); then the data directory and the database.
say "configuring"
herald config init
herald config check
say "migrating the database"
herald db migrate

# 5. The first admin operator (its one-time password is printed once).
say "creating the first admin operator"
herald operator add admin --rights admin --name "Administrator" --first

# 6. The herald command on the PATH (unless it belongs to another checkout, see step 0).
if [ "$keep_link" = yes ]; then
  printf 'install.sh: note: %s\n' "$link_notice" >&2
  herald_cmd="$root/scripts/herald"
else
  mkdir -p "$bindir"
  ln -sfn "$root/scripts/herald" "$link"
  herald_cmd=herald
  case ":$PATH:" in *":$bindir:"*) ;; *) echo "note: add $bindir to your PATH to use the herald command" ;; esac
fi

# 7. Where to go from here.
summary() {
  local host port public console
  host=$(herald config get web.host)
  port=$(herald config get web.port)
  public=$(herald config get web.publicUrl)
  case "$host" in 0.0.0.0|::|'') host=localhost ;; esac
  case "$host" in *:*) host="[$host]" ;; esac
  console="http://$host:$port/"
  say "Herald is installed in $root"
  echo "    Console:    $console"
  echo "                log in as admin with the one-time password printed above (you choose your own at the first login;"
  echo "                on a later run of install.sh, the admin's own password)"
  echo "    Site config: $(herald config check | sed 's/^config ok: //')  ($herald_cmd config show prints every setting)"
  case "$public" in
    http://localhost:*|http://127.0.0.1:*)
      local public_port=${public##*:}; public_port=${public_port%%/*}
      [ "$public_port" = "$port" ] || echo "    note: web.publicUrl ($public) does not match web.port $port: links in mail and forms use web.publicUrl; set it in the site config" ;;
  esac
  echo "    Next steps:"
  if [ "$systemd" = yes ]; then
    echo "      - systemctl status herald; $herald_cmd status"
  elif [ "$start" = yes ]; then
    echo "      - Herald now runs in the foreground (Ctrl-C stops it); later: $herald_cmd start --daemon, or ./install.sh --systemd as root"
  else
    echo "      - start it: $herald_cmd start (foreground) or $herald_cmd start --daemon; as root, ./install.sh --systemd runs it as a service"
  fi
  local data
  data=$(herald config get dataDir)
  case "$data" in /*) ;; *) data="$root/$data" ;; esac
  echo "      - mail is only captured under $data/spool/capture until [mta] transport = \"smtp\" is set (README: Sending mail)"
  echo "      - set web.publicUrl and tracking.publicUrl to the addresses recipients reach; $herald_cmd config check after each change"
}
summary

# 8. systemd service or foreground start.
if [ "$systemd" = yes ]; then
  as_root || die "--systemd needs root (it writes /etc/systemd/system/herald.service)"
  command -v systemctl >/dev/null 2>&1 || die "--systemd: systemctl not found"
  user=root
  if id herald >/dev/null 2>&1 || useradd --system --home-dir "$root/var" --shell /usr/sbin/nologin herald 2>/dev/null; then
    if su -s /bin/sh herald -c "test -r '$root/package.json' && test -x '$root/dist'" 2>/dev/null; then
      user=herald
      mkdir -p "$root/var"
      chown -R herald: "$root/var" "$root/config/herald.toml"
    else
      echo "note: user 'herald' cannot read $root; the service runs as root (move Herald to e.g. /opt/herald to run it unprivileged)"
    fi
  fi
  sed -e "s#@ROOT@#$root#g" -e "s#@USER@#$user#g" -e "s#@NODE@#$(command -v node)#g" scripts/herald.service > /etc/systemd/system/herald.service
  systemctl daemon-reload
  systemctl enable --now herald.service
  say "Herald runs as the systemd service 'herald' (systemctl status herald, herald status; logs in $root/var/log)"
elif [ "$start" = yes ]; then
  say "starting Herald: the watchdog runs every module in the foreground (Ctrl-C stops it; herald status shows them)"
  exec node "$root/dist/server/cli/main.js" start
fi
