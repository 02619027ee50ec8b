# NixOS module: a host-mode runner (label `native-nix`) on the machine that serves the binary cache.
# Jobs on this label use the host's nix-daemon and its persistent store, so builds that the cache
# host already has cost nothing, and pushing to a file:// cache on the same disk is a local copy.
#
# Use it from the host's configuration:
#   imports = [ ./native-runner.nix ];
#   services.nix-native-runner = {
#     enable = true;
#     url = "https://git.example.com";
#     tokenFile = "/run/secrets/runner-token";   # contains TOKEN=<registration token>
#   };
# For Forgejo, set `package = pkgs.forgejo-runner;` (the module is shared by both runners).
{ config, lib, pkgs, ... }:

let
  cfg = config.services.nix-native-runner;
in
{
  options.services.nix-native-runner = {
    enable = lib.mkEnableOption "a Gitea/Forgejo Actions runner on this host with the native-nix label";

    url = lib.mkOption {
      type = lib.types.str;
      example = "https://git.example.com";
      description = "Base URL of the Gitea or Forgejo instance.";
    };

    tokenFile = lib.mkOption {
      type = lib.types.path;
      description = "File with `TOKEN=<registration token>` (keep it out of the store).";
    };

    package = lib.mkOption {
      type = lib.types.package;
      default = pkgs.gitea-actions-runner;
      defaultText = lib.literalExpression "pkgs.gitea-actions-runner";
      description = "The runner: pkgs.gitea-actions-runner, or pkgs.forgejo-runner for Forgejo.";
    };

    labels = lib.mkOption {
      type = lib.types.listOf lib.types.str;
      default = [ "native-nix:host" ];
      description = "Runner labels; `native-nix:host` is what the nix-runner-action workflows use.";
    };

    trusted = lib.mkOption {
      type = lib.types.bool;
      default = true;
      description = ''
        Make the runner's user (`gitea-runner`, a systemd DynamicUser that the daemon resolves while the
        service runs) a trusted Nix user, so the action's job-scoped substituters, keys and post-build
        hook are honoured by the daemon. Jobs can then add caches and push what they build:
        only enable for repositories you trust.
      '';
    };
  };

  config = lib.mkIf cfg.enable {
    nix.settings = {
      experimental-features = [ "nix-command" "flakes" ];
      # Setting the option replaces its default ([ "root" ]), so root is listed again.
      trusted-users = lib.mkIf cfg.trusted [ "root" "gitea-runner" ];
    };

    services.gitea-actions-runner = {
      package = cfg.package;
      instances.native-nix = {
        enable = true;
        name = "${config.networking.hostName}-native-nix";
        inherit (cfg) url tokenFile labels;
        # What a host-mode job finds on PATH: the action needs node, the workflows need git and nix.
        hostPackages = with pkgs; [
          bash
          coreutils
          curl
          gawk
          gitMinimal
          gnused
          gnugrep
          gnutar
          gzip
          zstd
          findutils
          nodejs
          config.nix.package # the same Nix as the host daemon
          skopeo
          jq
        ];
        settings = {
          runner.capacity = 2;
          runner.timeout = "3h";
          cache.enabled = true;
        };
      };
    };
  };
}
