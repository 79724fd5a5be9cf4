"""ecs-keypair: SSH key pairs the way Alibaba Cloud ECS makes them, from the keyboard."""

__version__ = "0.1.0"
