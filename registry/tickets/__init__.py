"""The queue's pages: the public kiosk, ticket and waiting-room display, and the desks' panel."""
