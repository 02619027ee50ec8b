# The Nix job image for the `nix` runner label: `nix build .#runner-image` gives a docker-archive that
# build-runner-image.yml pushes as <image>:<nixpkgs date>, :latest and :unstable.
#
# Inside a job: nix (flakes on, no sandbox, no build users: the job runs as root in a container),
# nodejs for JavaScript actions, bash, coreutils, git, tar/gzip/zstd for actions/cache, CA
# certificates with the SSL variables set, /tmp, /usr/bin/env, /etc/passwd and /etc/group.
{
  description = "Nix job image for Gitea, Forgejo and GitHub Actions runners";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";

  outputs = { self, nixpkgs }:
    let
      systems = [ "x86_64-linux" "aarch64-linux" ];
      forAllSystems = f: nixpkgs.lib.genAttrs systems (system: f nixpkgs.legacyPackages.${system});

      runnerImage = pkgs:
        let
          certs = "/etc/ssl/certs/ca-bundle.crt";

          # Read-only in the image (a link into the store); the action adds job settings through
          # NIX_USER_CONF_FILES / NIX_CONFIG, never by editing this file.
          nixConf = pkgs.writeTextDir "etc/nix/nix.conf" ''
            experimental-features = nix-command flakes
            sandbox = false
            build-users-group =
            trusted-users = root
            max-jobs = auto
            substituters = https://cache.nixos.org
            trusted-public-keys = cache.nixos.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY=
          '';

          passwd = pkgs.writeTextDir "etc/passwd" ''
            root:x:0:0:root:/root:/bin/bash
            nobody:x:65534:65534:nobody:/var/empty:/bin/false
          '';
          group = pkgs.writeTextDir "etc/group" ''
            root:x:0:
            nixbld:x:30000:
            nogroup:x:65534:
          '';
          nsswitch = pkgs.writeTextDir "etc/nsswitch.conf" ''
            passwd: files
            group: files
            hosts: files dns
          '';
        in
        pkgs.dockerTools.buildLayeredImage {
          name = "nix-runner";
          tag = "latest";
          # The store paths in the image are registered in its Nix database, so `nix` in a job
          # knows them and does not fetch them again.
          includeNixDB = true;
          maxLayers = 100;

          contents = with pkgs; [
            nix
            nodejs
            bashInteractive
            coreutils
            gitMinimal
            cacert
            gnutar
            gzip
            zstd
            gnused
            gnugrep
            findutils
            dockerTools.usrBinEnv # /usr/bin/env
            dockerTools.binSh # /bin/sh
            dockerTools.caCertificates # /etc/ssl/certs/{ca-bundle,ca-certificates}.crt
            nixConf
            passwd
            group
            nsswitch
          ];

          extraCommands = ''
            mkdir -p tmp var/tmp root
            chmod 1777 tmp var/tmp
          '';

          config = {
            Cmd = [ "/bin/bash" ];
            WorkingDir = "/root";
            Env = [
              "PATH=/root/.nix-profile/bin:/bin:/usr/bin"
              "HOME=/root"
              "USER=root"
              "SSL_CERT_FILE=${certs}"
              "NIX_SSL_CERT_FILE=${certs}"
              "GIT_SSL_CAINFO=${certs}"
              "NODE_EXTRA_CA_CERTS=${certs}"
              "NIX_PAGER=cat"
            ];
            Labels = {
              "org.opencontainers.image.description" = "Nix job image for Actions runners (label nix)";
              "org.opencontainers.image.revision" = self.rev or "dirty";
            };
          };
        };
    in
    {
      packages = forAllSystems (pkgs: rec {
        runner-image = runnerImage pkgs;
        default = runner-image;
      });
    };
}
