"""Documents the app writes: the patient's care programme and the meeting minutes."""
