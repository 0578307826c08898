"""marshmallow schemas: the API's input validation and output shape."""
