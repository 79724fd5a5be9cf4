"""The names every part of the command line shares."""

PROGRAM = "ecs-keypair"
HELP_FLAGS = ("--help", "-h")
TARGET_OPTIONS = ("endpoint", "profile")  # anywhere on the line, as the aliyun CLI takes them
CLOUD_FLAG = "cloud"  # a target too, without a value: Alibaba Cloud, each region's own endpoint
